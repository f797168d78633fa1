"""dossier stage."""
