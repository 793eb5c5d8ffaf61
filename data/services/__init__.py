"""The writes people make, shared by the pages and the command line: accounts and sign-in,
the monthly journal and its review, file imports with the indicator refresh that follows.

Each takes the user's ``Scope`` and checks it with ``data.access``. May import the store, the
importer, the domain and the base modules; never Streamlit.
"""
