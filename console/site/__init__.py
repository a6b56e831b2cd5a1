"""The public site: pricing, the trial sign-up and its limits, error pages."""
