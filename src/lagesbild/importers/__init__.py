"""File importers: CSV, Excel and the police events JSON, validated and all-or-nothing."""
