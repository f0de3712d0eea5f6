"""The lesson's sections, one module each, named by the key the outline gives them.

Each module declares ``PARAMS`` and ``run(**params)``; most also offer ``measure(**params)``,
the numbers alone, which the notebooks print beside the page.
"""
