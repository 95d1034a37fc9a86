"""Reports for people outside the app: PDF, Excel and Word documents."""
