"""Questions before and during an event: asked (anonymously if the asker wishes), voted on
once each, moderated by the organiser, shown to the chair and projected for the Q&A, and
followed up with actions.

The handbook ("Setting the agenda", Engage) calls the Q&A the most important part of a
roundtable and relies on Sli.do for it; this area replaces that second tool. "Anonymous"
means the question row holds nothing that leads back to its asker (see models.py).
"""
