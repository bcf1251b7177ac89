"""Packaged report templates (this folder is installed as bedcap.templates)."""
