// Shared test helpers: one helper, one place.
import AOClient
