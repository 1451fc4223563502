"""The contributor commands of build.py: new, check, export and serve (one module each)."""
