"""The affiliate program: referral links, attribution, 22% commissions, payouts."""
