"""Data management: preview an upload before saving, save it with corrections, and who may write.

The data management page (``dashboard/views/data_admin.py``) only arranges widgets around these
functions. A preview reads and parses the bytes exactly as the store will, with the stored
speaker mappings plus the ones chosen on the page, and never writes; saving goes through
``Corpus.ingest_bytes`` (one transaction, sha256 dedupe). Speaker identities (one person written
in several ways, ``analysis.speaker_identity``) are merged or taken apart through the store's
table of the user's word on labels; nothing needs re-deriving.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from analysis import minutes, orgs, speaker_identity
from analysis.model import Organization, ParsedDocument
from analysis.sources import SourceText, read_bytes
from analysis.store import Corpus, IngestResult
from analysis.store.corrections import MeetingOverrides

#: Environment variable holding the admin password (st.secrets["admin_password"] is the other place).
PASSWORD_ENV = "GIJIROKU_ADMIN_PASSWORD"
#: Who may change data: "password" (a password is configured and must be given), "local" (no
#: password, but the server listens on loopback only), "locked" (no password, reachable from others).
Access = Literal["password", "local", "locked"]


def password_matches(given: str, configured: str) -> bool:
    """Constant-time comparison of a typed password with the configured one."""
    return hmac.compare_digest(given.encode("utf-8"), configured.encode("utf-8"))


def is_loopback(address: str | None) -> bool:
    """Whether a server bind address only accepts local connections (an empty address means all)."""
    if not address:
        return False
    host = address.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def write_access(password: str | None, address: str | None) -> Access:
    """How data-changing actions are guarded, given the configured password and bind address."""
    if password:
        return "password"
    return "local" if is_loopback(address) else "locked"


def org_choice_label(org: Organization) -> str:
    """How an organization is offered as a mapping choice: 足立区（特別区・13121）."""
    details = "・".join(x for x in (org.kind if org.kind != org.name else None, org.code) if x)
    return f"{org.name}（{details}）" if details else org.name


def mapping_choices() -> tuple[Organization, ...]:
    """東京都, the 62 municipalities, the ministries and other bodies, 国 and その他."""
    return orgs.mapping_choices()


@dataclass
class Preview:
    """An upload as it would be saved: its text, the parsed document and whether it is stored already."""

    name: str
    source: SourceText
    doc: ParsedDocument
    duplicate_of: int | None = None
    applied_mappings: dict[str, Organization] = field(default_factory=dict)

    def speakers(self) -> pd.DataFrame:
        """One row per speaker label: organization, kind, code, region, turns and statements."""
        return speaker_table(self.doc)

    def unresolved(self) -> list[str]:
        """Speaker labels whose organization could not be determined (in order of appearance)."""
        return unresolved_labels(self.doc)


def read_upload(data: bytes, name: str) -> SourceText:
    """Read uploaded bytes (content sniffing, size and page limits); raises ``SourceError``."""
    return read_bytes(data, name)


def preview(
    corpus: Corpus,
    source: SourceText,
    overrides: MeetingOverrides | None = None,
    mappings: Mapping[str, Organization] | None = None,
) -> Preview:
    """Parse ``source`` with the stored speaker mappings plus ``mappings`` and apply ``overrides``.

    Nothing is written; ``duplicate_of`` is the id of the stored document with the same bytes.
    """
    chosen = {orgs.label_key(label): org for label, org in (mappings or {}).items()}
    doc = minutes.parse_source(source, corpus.speaker_mappings() | chosen)
    (overrides or MeetingOverrides()).apply(doc)
    return Preview(source.path, source, doc, corpus.document_id_for(source.sha256), chosen)


def save_upload(
    corpus: Corpus,
    data: bytes,
    name: str,
    overrides: MeetingOverrides | None = None,
    mappings: Mapping[str, Organization] | None = None,
    accept_non_minutes: bool = False,
) -> IngestResult:
    """Save an upload with its corrections and new speaker mappings in one transaction
    (a text that is not minutes only when the person confirmed it: ``accept_non_minutes``)."""
    return corpus.ingest_bytes(
        data, name, overrides=overrides, mappings=mappings, accept_non_minutes=accept_non_minutes
    )


SPEAKER_COLUMNS = ["speaker", "org_name", "org_kind", "org_code", "region", "turns", "statements"]


def speaker_table(doc: ParsedDocument) -> pd.DataFrame:
    """Speakers of a parsed document with their resolved organization and counts, in order of appearance."""
    rows: dict[str, list] = {}
    for turn in doc.turns:
        org = turn.organization
        row = rows.setdefault(
            turn.speaker, [turn.speaker, org.name, org.kind, org.code or "", org.region or "", 0, 0]
        )
        row[5] += 1
        row[6] += len(turn.statements)
    return pd.DataFrame(list(rows.values()), columns=SPEAKER_COLUMNS)


def unresolved_labels(doc: ParsedDocument) -> list[str]:
    """Labels of speakers resolved to 不明 (the placeholder for unattributed statements excluded)."""
    labels = [
        t.speaker
        for t in doc.turns
        if t.organization.kind == orgs.UNKNOWN_KIND and t.speaker != minutes.UNATTRIBUTED
    ]
    return list(dict.fromkeys(labels))


# --------------------------------------------------------------------------- speaker identities

#: What a person chose for a label, in words (the 手動の指定 table of the page).
OVERRIDE_TABLE_COLUMNS = ["label", "choice", "updated_at"]


def label_people(identities: pd.DataFrame) -> dict[str, str]:
    """Every speaker label as written -> the person it is counted as (the most statements win
    when a title-only label is different people in different meetings), by label."""
    if identities.empty:
        return {}
    weights = identities.groupby(["speaker_label", "person"])["statements"].sum().reset_index()
    weights = weights.sort_values(["speaker_label", "statements"], ascending=[True, False], kind="stable")
    return dict(weights.drop_duplicates("speaker_label")[["speaker_label", "person"]].itertuples(index=False))


def merged_labels_of(identities: pd.DataFrame) -> list[str]:
    """Labels counted together with another label (those a merge can be undone for), by person."""
    table = speaker_identity.merged_people(identities)
    return list(dict.fromkeys(table["speaker_label"]))


def merge_labels(corpus: Corpus, label: str, target: str) -> bool:
    """Count ``label`` as the person ``target`` is; False when it was already stored so."""
    return corpus.set_speaker_identity(label, target)


def undo_merge(corpus: Corpus, label: str) -> Literal["manual", "separate", "none"]:
    """Take ``label`` out of its person: forget the user's merge of it ("manual"), else mark it
    別人として扱う so no automatic rule merges it ("separate"; "none" if it was marked already)."""
    override = corpus.speaker_identity_overrides().get(orgs.label_key(label))
    if override is not None and not override.separate:
        corpus.delete_speaker_identity(label)
        return "manual"
    return "separate" if corpus.set_speaker_identity(label, None) else "none"


def override_table(corpus: Corpus) -> pd.DataFrame:
    """The user's identity table in words: label, 「…」と同じ人物 or 別人として扱う, updated_at."""
    table = corpus.load_identity_overrides()
    choice = [
        f"「{target}」と同じ人物" if isinstance(target, str) else speaker_identity.BASIS_SEPARATE
        for target in table["target_label"].astype(object).tolist()
    ]
    return pd.DataFrame(
        {
            "label": table["label"].astype(object),
            "choice": pd.Series(choice, dtype=object),
            "updated_at": table["updated_at"].astype(object),
        },
        columns=OVERRIDE_TABLE_COLUMNS,
    )
