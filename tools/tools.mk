# Each host tool describes its own build in tools/<tool>/*.mk.
include $(wildcard tools/*/*.mk)
