"""The handbook's resources: Annex B, the Home Office contact from "Next steps", and its offer."""
