namespace Market.Domain;

/// <summary>
/// A business rule said no. The message is written for the person who asked, because pages show it as is;
/// the transaction pipeline rolls back whatever the request had changed before it was thrown.
/// </summary>
public class DomainException(string message) : Exception(message);
