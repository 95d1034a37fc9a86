"""Streamlit glue: the only package besides pages/ that imports streamlit."""
