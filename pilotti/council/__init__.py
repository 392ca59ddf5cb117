"""The client council: participants' suggestions, what was decided and what was done (issue 26)."""
