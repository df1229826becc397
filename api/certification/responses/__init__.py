"""Response models of the certification routes (certificates and their public documents, gradebook)."""
