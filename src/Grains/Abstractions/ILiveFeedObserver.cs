namespace Portal.Grains.Abstractions;

/// <summary>A web host's receiver of coalesced live messages; the one class holding IHubContext implements it.</summary>
public interface ILiveFeedObserver : IGrainObserver
{
    Task OnLiveMessagesAsync(IReadOnlyList<LiveMessage> messages);
}
