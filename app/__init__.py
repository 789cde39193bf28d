"""The composition root behind ``pivotbot``: settings in, a running bot out.

It sits above every other package and is the only place that knows them all; nothing imports
it but the ``pivotbot`` entry point and the tests.
"""
