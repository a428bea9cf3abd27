"""Understanding the audience: profile, prompts and target organisations."""
