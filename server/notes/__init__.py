"""Session notes: written together on phones as a CRDT document, kept durable, with history."""
