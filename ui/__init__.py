"""The dashboard's Streamlit layer: caching and shared widgets. Pages import from here;
`analysis/` never does."""
