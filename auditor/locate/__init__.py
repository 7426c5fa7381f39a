"""Locators: where on a site the things rules look at are (search form, newest headline,
documents listing, language-version link, state portal links, news pages, section links).

Used by the gatherer (to know what to fetch or probe) and by the checks (to judge it); below both.
"""
