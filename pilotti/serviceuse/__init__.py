"""Service use before and after: contacts with named services over a period before and after (issue 26)."""
