"""The sample marketplace: its people, shops, words, item plans and drawn pictures.

The demo seeder fills a whole marketplace from it; every developer's sandbox shop gets a few of
its items. It plans and draws; the seeder and the sandbox write what it plans through the domain's
own functions.
"""
