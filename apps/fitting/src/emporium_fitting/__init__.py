"""Fitting room: a buyer picks a model of their build and puts their own face on her."""
