"""Orders: the rules and read model (``model``) and their repository (``repository``)."""
