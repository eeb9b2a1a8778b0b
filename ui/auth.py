"""Optional password protection for a hosted app, off by default.

A deployment turns it on with a Streamlit secret (Community Cloud: the app's Secrets box;
elsewhere `.streamlit/secrets.toml`, never committed):

    [auth]
    password = "a long passphrase"

Without any secrets the app is open, which is right for a local machine. Secrets that exist but
cannot be read, or an [auth] table without a password, keep it closed.
"""

from __future__ import annotations

import hmac
from pathlib import Path

import streamlit as st

_PASSED = "auth-passed"


class UnusableSecrets(Exception):
    """The deployment has secrets but they cannot say whether a password is wanted: the app
    stays closed (fails closed), with this one-line reason for whoever runs it."""


def configured_password() -> str | None:
    """The password the deployment set, or None when it set none (no secrets at all: an open,
    local app). Raises UnusableSecrets when a secrets file exists but cannot be read, or has an
    [auth] table without a password: a typo must never open a protected app."""
    try:
        secrets = st.secrets.to_dict()
    except st.errors.StreamlitSecretNotFoundError as error:
        # The same error says "no secrets" and "secrets that do not parse": the files tell.
        if any(Path(path).is_file() for path in st.get_option("secrets.files")):
            raise UnusableSecrets("the secrets file cannot be read") from error
        return None
    section = secrets.get("auth")
    if section is None:
        # A password outside its table still says the app is to be protected.
        password = secrets.get("password")
        return str(password) if password not in (None, "") else None
    if not isinstance(section, dict) or not section.get("password"):
        raise UnusableSecrets("the [auth] table holds no password")
    return str(section["password"])


def require_password() -> None:
    """Stop the page behind a password form until the visitor gives the configured password."""
    try:
        password = configured_password()
    except UnusableSecrets as problem:
        st.title("Geopolitical news")
        st.error(f"This dashboard is closed: {problem}. Whoever runs it can fix its secrets.")
        st.stop()
    if password is None or st.session_state.get(_PASSED):
        return
    st.title("Geopolitical news")
    with st.form("login"):
        given = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Open the dashboard")
    # Constant-time comparison: the time taken must not tell how much of a guess was right.
    if submitted and hmac.compare_digest(given.encode(), password.encode()):
        st.session_state[_PASSED] = True
        st.rerun()
    if submitted:
        st.error("That password is not right.")
    st.stop()
