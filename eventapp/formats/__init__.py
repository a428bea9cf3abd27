"""The virtual or in-person decision."""
