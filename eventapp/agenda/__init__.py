"""The agenda builder: timed items that set the scene, land the messages and engage."""
