"""Reading: source documents into the model, the outline, MyST chapters, text escaping."""
