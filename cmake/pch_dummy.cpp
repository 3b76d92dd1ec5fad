// Anchor for the Boost precompiled header target.
