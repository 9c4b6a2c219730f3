"""Pure helpers with no Django: national IDs, ROC dates, phone numbers, masking for logs."""
