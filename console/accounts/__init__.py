"""Accounts for administrators: the Accounts window, its dialogs and the account actions."""
