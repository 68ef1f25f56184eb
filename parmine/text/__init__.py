"""Text normalisation and sentence bounds: the layer every other room of
parmine builds on (it imports nothing of parmine)."""
