"""The app's windows and dialogs: the main window and the tools it opens."""
