"""Reading free text (pathology reports, notes, PDF pages): one module per kind of fact."""
