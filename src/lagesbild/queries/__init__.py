"""Read side: aggregation done in SQL, returning small DataFrames. No streamlit here."""
