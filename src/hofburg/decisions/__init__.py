"""The decisions desk: Permanent Council, FSC and Ministerial Council meetings and journals, draft
decisions and their revisions, adoption by consensus or by silence procedure, interpretative
statements, delegations' statements and positions, negotiation rounds."""
