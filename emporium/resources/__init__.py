"""The public shapes of resources: what the Open API returns and webhook payloads carry, defined once.

Builders here read models and `lib` only; the domain calls them to write events, the API to answer.
"""
