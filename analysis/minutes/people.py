"""Who a speaker label stands for, with what the document itself says about its people.

``orgs.resolve`` knows organizations by name (62 municipalities, 東京都, ministries, bodies). A
document adds three things that a label alone does not carry:

- an **attendee list** (出席者／出席委員／出席説明員 blocks of a 検討会, 審議会 or council record):
  ``佐藤委員`` and ``座長`` resolve through it (佐藤 一郎（八王子市 デジタル推進課長） -> 八王子市);
  attendees are never speakers by themselves;
- a **host**: the body the meeting belongs to, named in its title (東京都・区市町村CIOフォーラム and
  都・区市町村CIO協議会 -> 東京都; 三鷹市議会総務委員会 -> 三鷹市). ``事務局`` resolves to the
  secretariat named in the attendee list, else to the host;
- for a **council record** (区議会／市議会／都議会), every title-only label (委員長, 佐藤委員,
  企画部長(土屋 宏君)) belongs to the host municipality.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from analysis import orgs
from analysis.minutes.header import ROLE_LINE
from analysis.minutes.lines import Line, is_parenthesized, unparenthesize
from analysis.model import Organization
from analysis.normalize import fold_variants, normalize_text

UNKNOWN = Organization(name=orgs.UNKNOWN_KIND, kind=orgs.UNKNOWN_KIND)
#: Roles of members of a committee or panel, written before or after the name.
MEMBER_ROLES = (
    "副委員長", "委員長", "副座長", "座長", "副部会長", "部会長", "分科会長", "副会長", "会長", "副議長", "議長",
    "主査", "構成員", "委員", "理事", "議員",
)  # fmt: skip
#: Endings of a label that names a person by role (not an organization): 佐藤委員, 山田座長, 鈴木氏.
PERSON_SUFFIX = re.compile(
    r"(副委員長|委員長|副座長|座長|副部会長|部会長|分科会長|副会長|会長|副議長|議長|主査|構成員|委員|議員|君|氏|さん|様)$"
)
#: Executive titles that answer in a council record.
EXECUTIVE = re.compile(
    r"(区長|市長|町長|村長|副区長|副市長|副町長|副村長|知事|局長|部長|課長|室長|所長|次長|参事|理事|担当|主幹|係長|教育長|館長|管理者|統括)"
)
_COUNCIL = re.compile(r"(?P<name>東京都|[^\s・、]{1,5}?[区市町村])議会")
_SECRETARIAT = re.compile(r"^事務局(長)?$")
_PAREN_TAIL = re.compile(r"^(?P<head>.*?)\s*[(（](?P<inner>[^()（）]+)[)）]\s*$")


@dataclass(frozen=True)
class Attendee:
    """One person of an attendee list: name as written, role (座長, 委員 …) and organization."""

    name: str
    role: str | None
    org: Organization

    @property
    def compact(self) -> str:
        return re.sub(r"\s+", "", fold_variants(self.name))


@dataclass
class People:
    """The document's attendee list, host and kind, and the user's speaker mappings."""

    overrides: Mapping[str, Organization] = field(default_factory=dict)
    attendees: list[Attendee] = field(default_factory=list)
    host: Organization | None = None
    council: bool = False
    secretariat: Organization | None = None
    _resolved: dict[str, Organization] = field(default_factory=dict, repr=False)

    def resolve(self, label: str) -> Organization:
        """The organization of a speaker label (不明 when nothing says); memoized per document."""
        if (org := self._resolved.get(label)) is None:
            org = self._resolved[label] = self._resolve(label)
        return org

    def _resolve(self, label: str) -> Organization:
        org = orgs.resolve(label, overrides=self.overrides)
        if org.kind != orgs.UNKNOWN_KIND:
            return org
        key = orgs.label_key(label)
        if _SECRETARIAT.match(key):
            return self.secretariat or self.host or UNKNOWN
        if (attendee := self.attendee(label)) is not None and attendee.org.kind != orgs.UNKNOWN_KIND:
            return attendee.org
        if (
            self.council
            and self.host is not None
            and (PERSON_SUFFIX.search(key) or EXECUTIVE.search(key) or "君" in key)
        ):
            return self.host
        return UNKNOWN

    def known(self, label: str) -> bool:
        return self.resolve(label).kind != orgs.UNKNOWN_KIND

    def attendee(self, label: str) -> Attendee | None:
        """The attendee a label names: by role as listed (座長, 情報政策課長), by name (佐藤委員,
        委員長(石井良司君)); None when no attendee or more than one fits."""
        if not self.attendees:
            return None
        key = re.sub(r"\s+", "", fold_variants(label))
        by_role = [a for a in self.attendees if a.role and re.sub(r"\s+", "", fold_variants(a.role)) == key]
        if by_role:
            return by_role[0] if len(by_role) == 1 else None
        inner = _PAREN_TAIL.match(key)
        if inner:
            key = inner.group("inner")
        core = PERSON_SUFFIX.sub("", key)
        core = PERSON_SUFFIX.sub("", core)
        if core == key and (title := re.search(f"(?<=.){EXECUTIVE.pattern}$", core)):
            core = core[: title.start()]  # 佐野課長 -> 佐野
        if not core:
            role = PERSON_SUFFIX.search(key)
            matches = [a for a in self.attendees if role and a.role == role.group(1)]
            return matches[0] if len(matches) == 1 else None
        if re.fullmatch(r"[A-Za-zア-ン]", core):
            # 委員名簿の記号: "B委員" / "A部会長" name the member listed as 委員B / 委員A
            letter = [
                a
                for a in self.attendees
                if re.fullmatch(rf"(委員|構成員)?{core}|{core}(委員|構成員)", a.compact)
            ]
            return letter[0] if len(letter) == 1 else None
        matches = [
            a
            for a in self.attendees
            if a.compact
            and (
                a.compact.startswith(core)
                or core.startswith(a.compact)
                or (len(core) >= 2 and core in a.compact)
            )
        ]
        return matches[0] if len({a.compact for a in matches}) == 1 else None

    def is_person_label(self, label: str) -> bool:
        """A label that names a person by role or name rather than an organization."""
        key = orgs.label_key(label)
        return bool(PERSON_SUFFIX.search(key)) or self.attendee(label) is not None


def host_of(title: str, series: str | None) -> tuple[Organization | None, bool]:
    """(host organization, is a council record) from the meeting title and series."""
    text = fold_variants(f"{title} {series or ''}")
    if m := _COUNCIL.search(text):
        org = orgs.resolve(m.group("name"))
        return (org if org.kind != orgs.UNKNOWN_KIND else None), True
    head = re.sub(r"^第\s*\S+?回\s*", "", fold_variants(title))
    if head.startswith(("東京都", "都・", "都区市町村")):
        return orgs.TOKYO, False
    return None, False


def read_attendees(
    blocks: list[tuple[str, list[Line]]], host: Organization | None, council: bool
) -> list[Attendee]:
    """Attendees of the header's blocks; the block label (委員, 事務局 …) is the default role."""
    out: list[Attendee] = []
    for label, lines in blocks:
        role_default = label if label in MEMBER_ROLES or label == "事務局" else None
        for line in lines:
            if switch := ROLE_LINE.match(line.norm):
                role_default = switch.group(1)  # ■委員（敬称略） / 【事務局】 heads the lines below it
                continue
            if "\t" in line.raw:
                if (attendee := _table_attendee(line.raw, host, council)) is not None:
                    out.append(attendee)
                continue
            for part in _split_people(line.norm):
                attendee = _attendee(part, role_default, host, council)
                if attendee is not None:
                    out.append(attendee)
    return out


def secretariat_of(blocks: list[tuple[str, list[Line]]]) -> Organization | None:
    """The organization of the 事務局 block, if the header has one."""
    for label, lines in blocks:
        if label != "事務局":
            continue
        for line in lines:
            org = orgs.resolve(line.norm)
            if org.kind != orgs.UNKNOWN_KIND:
                return org
    return None


#: A name cell of an attendee table: surname, a space, given name ("事例紹介" is a role, not a name).
_SPACED_NAME = re.compile(r"^[^\s\d()（）]{1,5}\s+[^\s\d()（）]{1,6}(君|氏)?$")
_TABLE_HEADER = re.compile(r"^(役職|職名|氏名|名前|所属|団体|団体名|区分)$")


def _split_people(norm: str) -> list[str]:
    """A line may hold one person or several joined by 、 (a parenthesized note such as （敬称略）
    holds none); 、 inside brackets does not split."""
    if is_parenthesized(norm):
        return []
    parts, depth, current = [], 0, ""
    for ch in norm:
        depth += ch in "(（【〔["
        depth -= ch in ")）】〕]"
        if (ch in "、," or (ch in " \u3000" and current.rstrip().endswith((")", "）")))) and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _table_attendee(norm: str, host: Organization | None, council: bool) -> Attendee | None:
    """A table row of an attendee list: the organization, name and role cells in any order."""
    cells = [normalize_text(c).strip() for c in norm.split("\t") if c.strip()]
    if not cells or all(_TABLE_HEADER.match(c) for c in cells):
        return None
    name, role, org = "", None, UNKNOWN
    for cell in cells:
        resolved = orgs.resolve(cell)
        if resolved.kind == orgs.UNKNOWN_KIND:
            resolved = _other_body(cell)
        if org.kind == orgs.UNKNOWN_KIND and resolved.kind != orgs.UNKNOWN_KIND:
            org = resolved
        elif not name and _SPACED_NAME.match(cell):
            name = re.sub(r"(君|氏)$", "", cell)
        elif role is None:
            role = cell
    if org.kind == orgs.UNKNOWN_KIND and council and host is not None:
        org = host
    return Attendee(name=name, role=role, org=org) if (name or role) else None


def _attendee(
    text: str, role_default: str | None, host: Organization | None, council: bool
) -> Attendee | None:
    text = re.sub(r"^[・•\-○◯]\s*", "", text.strip())
    if not text or len(text) > 80:
        return None
    role = None
    if m := re.search(r"[【\[]\s*(?P<role>[^】\]]{1,8})\s*[】\]]$", text):  # 山田 太郎（東都大学）【座長】
        role, text = m.group("role"), text[: m.start()].strip()
    elif m := re.match(
        r"^[【\[]\s*(?P<role>[^】\]]{1,8})\s*[】\]]\s*", text
    ):  # 【座長】中村 早苗（東邦情報大学）
        role, text = m.group("role"), text[m.end() :].strip()
    org_text = ""
    if m := _PAREN_TAIL.match(text):
        text, org_text = m.group("head").strip(), m.group("inner").strip()
        person_inside = _SPACED_NAME.match(org_text) or re.fullmatch(r"[^\s\d]{2,5}", org_text)
        if person_inside and EXECUTIVE.search(text) and not orgs.is_known(org_text):
            # 企画部長（森田浩二）: the title outside, the person inside
            role, text, org_text = role or text, org_text, ""
    for candidate in () if role else (*MEMBER_ROLES, "事務局"):
        if text.startswith(candidate) and len(text) > len(candidate):
            role, text = candidate, text[len(candidate) :].strip()
            break
        if text.endswith(candidate) and len(text) > len(candidate) and not org_text:
            role, text = candidate, text[: -len(candidate)].strip()
            break
    text = re.sub(r"(君|氏)$", "", text).strip()
    tokens = text.split(" ")
    name = text
    if not org_text and len(tokens) >= 3:
        # "佐藤 一郎 八王子市デジタル推進課長" or "八王子市デジタル推進課長 佐藤 一郎"
        if orgs.is_known(tokens[-1]) and not orgs.is_known(tokens[0]):
            name, org_text = " ".join(tokens[:2]), " ".join(tokens[2:])
        else:
            name, org_text = " ".join(tokens[-2:]), " ".join(tokens[:-2])
    elif not org_text and len(tokens) == 2 and orgs.is_known(tokens[0]):
        name, org_text = tokens[1], tokens[0]
    org = orgs.resolve(org_text) if org_text else UNKNOWN
    if org.kind == orgs.UNKNOWN_KIND and org_text:
        org = _other_body(org_text)
    if org.kind == orgs.UNKNOWN_KIND and (council or (role_default == "事務局")) and host is not None:
        org = host
    name = unparenthesize(name)
    if not name or len(name) > 20:
        return None
    return Attendee(name=name, role=role or role_default, org=org)


def _other_body(text: str) -> Organization:
    """A university, company or association named in an attendee line: kind その他."""
    first = text.split(" ")[0]
    if re.search(
        r"(大学|株式会社|会社|法人|研究所|協会|機構|財団|事務所|センター)$", first
    ) or first.startswith("株式会社"):
        return Organization(name=first, kind="その他")
    return UNKNOWN
