"""The registry as the operator browses it: the channel hierarchy (Qt-free), the channel tree and
the business details."""
