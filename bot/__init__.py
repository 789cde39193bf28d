"""pivotbot core: platform-neutral commands, domain rules, content and persistence."""
