"""Community: reviews with pictures and seller replies, item questions and answers."""
