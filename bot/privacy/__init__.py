"""Personal data in free text: the one scanner of intake facts and PII (``scanner``) and the masking
of what an agent reads (``masking``)."""
