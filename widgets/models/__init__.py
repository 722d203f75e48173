"""Qt-free models behind the widgets.

This is a Qt-free zone (``tests/widgets/test_layering.py`` enforces it): everything here can be
unit-tested and reused by the console's non-GUI code without a QApplication.
"""
