"""Streamlit dashboard of 議事録アナリティクス (run: streamlit run dashboard/app.py -- --db PATH)."""
