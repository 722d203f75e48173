"""Commands of ``kitchenwatch-central`` besides serving: each a module with ``main(argv)``."""
