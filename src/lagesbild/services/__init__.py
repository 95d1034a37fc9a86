"""Write side: validation, permissions, audit log, optimistic locking. No streamlit here."""
