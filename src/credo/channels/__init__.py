"""The outside world: files in and out, mail, SMS, letters, bank statements.

Channels move data across the boundary and nothing more: they turn bytes into text and text
into plain values (or row errors), and values back into files. Business rules live in domain/.
"""
