from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('snug', '0019_reminders')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='ActionItem',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='AgendaChoice',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='Attendee',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='Dot',
            index=Index(fields=['event_id', 'attendee_id']),
        ),
        ops.AddIndex(
            model_name='Dot',
            index=Index(fields=['event_id', 'pitch_id']),
        ),
        ops.AddIndex(
            model_name='Feedback',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='FeedbackGiven',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='GridStep',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='Notes',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='NotesUpdate',
            index=Index(fields=['notes_id']),
        ),
        ops.AddIndex(
            model_name='NotesVersion',
            index=Index(fields=['notes_id']),
        ),
        ops.AddIndex(
            model_name='Photo',
            index=Index(fields=['notes_id']),
        ),
        ops.AddIndex(
            model_name='Pitch',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='Placement',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='PublishedPlacement',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='Receipt',
            index=Index(fields=['event_id', 'key']),
        ),
        ops.AddIndex(
            model_name='Room',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='SeatClaim',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='Slot',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='WebhookDelivery',
            index=Index(fields=['event_id']),
        ),
        ops.AddIndex(
            model_name='WebhookEndpoint',
            index=Index(fields=['event_id']),
        ),
    ]
