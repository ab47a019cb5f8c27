"""hubsim's scenarios: synthetic PLG user journeys, the runner that plays them, and the hubsim command."""
