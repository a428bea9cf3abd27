"""Events: creating, editing, listing and moving them through their lifecycle."""
