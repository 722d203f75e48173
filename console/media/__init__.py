"""Evidence pictures: the spool that uploads them to central and what the operator is told
when one cannot be shown."""
