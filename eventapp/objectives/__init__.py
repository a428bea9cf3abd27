"""SMART objectives and the check that guides organisers towards them."""
