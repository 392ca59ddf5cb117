"""Staff and volunteers who deliver a programme, and their trainings (issue 25)."""
